#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2024-01-01-00-00-00
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id	tcpinspect_conn	close	client_state	server_state	retransmissions	inferred
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string	count	string	string	string	count	bool
1704067200.000000	C1JSLqaz8Lcs4Q5xGX	192.0.2.10	41434	198.51.100.20	80	tcp	-	0.074433	88	175	SF	-	-	-	ShADdFf	6	412	3	351	-	1:V/vAag4EXBynsAADUSbu3EuITlE=	1	graceful	TIME_WAIT	CLOSED	0	F
1704067202.000000	C8jgi1kfdyrf27yw8	192.0.2.10	41436	198.51.100.20	80	tcp	-	0.049705	88	175	SF	-	-	-	SThdAFf	4	316	3	339	-	1:sV1Qwr2USPkmw8AnrWQXFB45aOU=	2	graceful	TIME_WAIT	CLOSED	0	F
1704067204.000000	C1c2JBOZT5bjOtt6Iu	192.0.2.10	41438	198.51.100.20	80	tcp	-	0.074233	88	175	SF	-	-	-	SThADdFf	6	508	3	351	-	1:ZaLp7UoIcsMcuVEpJZY86G5dmHk=	3	graceful	TIME_WAIT	CLOSED	1	F
#close	2024-01-01-00-00-04
exit=0
