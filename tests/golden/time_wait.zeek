#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2024-01-01-00-00-00
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id	tcpinspect_conn	close	client_state	server_state	retransmissions	inferred
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string	count	string	string	string	count	bool
1704067200.000000	CxrzXpKKfbZbTYkG5	192.0.2.10	41414	198.51.100.20	80	tcp	-	0.074854	88	119	SF	-	-	-	ShADdFf	6	408	3	283	-	1:dl0Djl9HQd/YZlQgylc9KamX9hw=	1	graceful	CLOSED	CLOSED	0	F
1704067265.250000	C1bmy9EiCamhiTsqLJ	192.0.2.10	41416	198.51.100.20	80	tcp	-	0.074854	88	134	SF	-	-	-	ShADdFf	6	408	3	298	-	1:/talaJnebjlJemkEdkcr83iLqFc=	2	graceful	TIME_WAIT	CLOSED	0	F
#close	2024-01-01-00-01-05
exit=0
