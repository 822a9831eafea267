/* 16550 UART output, polled: the console must work with interrupts off. */
#include <asm/x86.h>

#define UART_CLOCK 115200
#define REG_DATA   0
#define REG_IER    1
#define REG_FCR    2
#define REG_LCR    3
#define REG_MCR    4
#define REG_LSR    5
#define LSR_THRE   0x20
#define LCR_DLAB   0x80

static uint16_t uart_port;
bool console_serial_on;

/* baud 0 keeps the divisor the firmware (or QEMU) programmed. */
void serial_init(uint16_t port, unsigned baud)
{
	uart_port = port;
	outb(port + REG_IER, 0);
	if (baud) {
		unsigned div = UART_CLOCK / baud;
		if (!div)
			div = 1;
		outb(port + REG_LCR, LCR_DLAB);
		outb(port + REG_DATA, div & 0xff);
		outb(port + REG_IER, div >> 8);
	}
	outb(port + REG_LCR, 0x03);     /* 8n1, DLAB off */
	outb(port + REG_FCR, 0x07);     /* FIFOs on and cleared */
	outb(port + REG_MCR, 0x03);     /* DTR, RTS */
	console_serial_on = true;
}

static void put(char c)
{
	/* bounded wait: a missing UART must not hang the machine */
	for (unsigned spin = 0; spin < 100000; spin++)
		if (inb(uart_port + REG_LSR) & LSR_THRE)
			break;
	outb(uart_port + REG_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
