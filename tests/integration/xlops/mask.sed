# Fields of the xlops transcript that change from run to run (after xl's
# mask.sed): Dom0's vCPUs in vcpu-list (it runs: their CPU, state and
# time), its CPU seconds in top, and its allowance there when it has one
# (Paravane's moves by a page or so between boots; Xen's is "no limit").
s/^\(Domain-0  *0  *[0-9]\{1,\}\)  *[0-9]\{1,\}   [-rbp]\{3\}  *[0-9]\{1,\}\.[0-9]/\1   CPU   STA  TIME/
s/^\(  Domain-0 [-dsbcpr]\{6\}\)  *[0-9]\{1,\} /\1 CPUSEC /
s/^\(  Domain-0 [-dsbcpr]\{6\} CPUSEC  *[0-9.]\{1,\}  *[0-9]\{1,\}  *[0-9.]\{1,\}\)  *[0-9]\{1,\}  *[0-9.]\{1,\} /\1 MAXMEM MAXPCT /
