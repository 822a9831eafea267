#include "evtchn_shim.h"
int main(void) { return 0; }
