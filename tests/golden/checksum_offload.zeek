#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2024-01-01-00-00-00
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id	tcpinspect_conn	close	client_state	server_state	retransmissions	inferred
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string	count	string	string	string	count	bool
1704067200.000000	CbonIuPvjXAw687ZJ	192.0.2.10	41426	198.51.100.20	80	tcp	-	0.074854	88	260	SF	-	-	-	ShADdFf	6	408	3	424	-	1:u/V6MGiKdAFeYCPLzOSanNX/EbI=	1	graceful	TIME_WAIT	CLOSED	0	F
#close	2024-01-01-00-00-00
exit=0
