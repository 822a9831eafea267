/* The VGA text console (80x25 at 0xB8000), for machines with a screen. */
#include <asm/x86.h>

#define VGA_PHYS  0xB8000
#define COLS      80
#define ROWS      25
#define ATTR      0x0700  /* light grey on black */

static volatile uint16_t *screen;
static unsigned col, row;
bool console_vga_on;

void vga_init(void)
{
	screen = phys_to_virt(VGA_PHYS);
	for (unsigned i = 0; i < COLS * ROWS; i++)
		screen[i] = ATTR | ' ';
	col = row = 0;
	console_vga_on = true;
}

static void scroll(void)
{
	for (unsigned i = 0; i < COLS * (ROWS - 1); i++)
		screen[i] = screen[i + COLS];
	for (unsigned i = COLS * (ROWS - 1); i < COLS * ROWS; i++)
		screen[i] = ATTR | ' ';
	row = ROWS - 1;
}

void vga_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\n') {
			col = 0;
			row++;
		} else if (c != '\r') {
			screen[row * COLS + col] = ATTR | (uint8_t)c;
			if (++col == COLS) {
				col = 0;
				row++;
			}
		}
		if (row == ROWS)
			scroll();
	}
}
