// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctl - send one control request line to umdevd and print the reply (for
 * run-driver-abi.sh: the ops umdevctl has no verb for).  No library: it
 * must build with nothing but a C compiler.
 * Usage: ctl SOCKET JSON.  Exit 0 if the reply has "ok":true, 1 if not,
 * 2 on a transport error.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char reply[65536];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: ctl SOCKET JSON\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("ctl: connect");
		return 2;
	}
	if (write(fd, argv[2], strlen(argv[2])) < 0 || write(fd, "\n", 1) < 0) {
		perror("ctl: write");
		return 2;
	}
	while (len < sizeof(reply) - 1 &&
	       (n = read(fd, reply + len, sizeof(reply) - 1 - len)) > 0) {
		len += (size_t)n;
		if (memchr(reply, '\n', len))
			break;
	}
	close(fd);
	reply[len] = '\0';
	fputs(reply, stdout);
	if (!len)
		return 2;
	return strstr(reply, "\"ok\":true") || strstr(reply, "\"ok\": true") ?
		       0 :
		       1;
}
