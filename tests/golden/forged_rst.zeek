#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2024-01-01-00-00-00
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id	tcpinspect_conn	close	client_state	server_state	retransmissions	inferred
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string	count	string	string	string	count	bool
1704067200.000000	C1JAeA3hCFKpDcQfz7	192.0.2.10	41440	198.51.100.20	80	tcp	-	0.051321	88	2896	RSTR	-	-	-	ShADdrR	5	344	5	4600	-	1:YSqSxi6gDw8QukoVq/D6nw0TiuM=	1	reset_by_client	CLOSED	CLOSED	0	F
#close	2024-01-01-00-00-00
exit=0
