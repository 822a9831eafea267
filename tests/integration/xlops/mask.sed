# Fields of the xlops transcript that change from run to run (after xl's
# mask.sed): Dom0's vCPU states and times in vcpu-list (it runs), its CPU
# seconds in top.
s/^\(Domain-0  *0  *[0-9]\{1,\}  *[0-9]\{1,\}   \)[-rbp]\{3\}  *[0-9]\{1,\}\.[0-9]/\1STA  TIME/
s/^\(  Domain-0 [-dsbcpr]\{6\}\)  *[0-9]\{1,\} /\1 CPUSEC /
