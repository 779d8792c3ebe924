#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2024-01-01-00-00-00
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id	tcpinspect_conn	close	client_state	server_state	retransmissions	inferred
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string	count	string	string	string	count	bool
1704067200.000000	C1FzmR52Fm6RZcEgZU	192.0.2.10	41406	198.51.100.20	8080	tcp	-	0.024340	0	0	S0	-	-	-	S	1	60	0	0	-	1:o5ABFphSGvk/tk0YCXX3EJT2My4=	1	unreachable	CLOSED	LISTEN	0	F
1704067202.000000	C1GddQQtHYpMFeBKtZ	192.0.2.10	41408	198.51.100.99	80	tcp	-	3.006121	0	0	S0	-	-	-	S	2	120	0	0	-	1:uWBYIAnSB+qTd0knVsLZJdvnC4g=	2	unreachable	CLOSED	LISTEN	1	F
1704067206.000000	CylEbLlDUExUXigTh	2001:db8::10	41410	2001:db8:1::20	8080	tcp	-	0.024335	0	0	S0	-	-	-	S	1	80	0	0	-	1:D/AfSiMn98+6RqdWDlHnol0AzSg=	3	unreachable	CLOSED	LISTEN	0	F
#close	2024-01-01-00-00-06
exit=0
