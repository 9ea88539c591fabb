/* benchrun: the measuring tools of `make bench` (timed runs, first frame in a pty, bursts). */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Subcommands (numbers go to stdout, one line, space separated; problems to
 * stderr with exit status 1):
 *   time N -- CMD...            run CMD N times (output to /dev/null); prints
 *                               "median_ms min_ms max_ms maxrss_kb" where maxrss
 *                               is the median of each run's peak RSS.
 *   pty COLS ROWS N MS TEXT -- CMD...
 *                               run CMD N times in a COLS x ROWS pty; time from
 *                               fork to the first output containing TEXT (MS:
 *                               deadline per run); prints "median_ms min_ms max_ms".
 *   record RAW IDX              copy stdin to RAW and write "t_us len" per read
 *                               to IDX (t_us: CLOCK_REALTIME microseconds).
 *   burst RAW IDX SINCE_US TEXT GAP_MS
 *                               group the reads after SINCE_US into bursts (gaps
 *                               under GAP_MS); prints "change_bytes quiet_median
 *                               quiet_count" for the burst holding the first TEXT
 *                               and the median size of the bursts before it.
 * Every wait has a deadline; every child is killed before returning.
 */

#define MAX_RUNS 1000
#define PTY_BUF  (1 << 20)

static int64_t now_us(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "benchrun: bad number '%s' (%d..%d)\n", s, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/*
 * Wait for pid until deadline_us (monotonic), then SIGKILL its process group.
 * A pidfd wakes us the moment the child exits, so the timing has no polling
 * granularity; without one (old kernels) we look every millisecond.
 */
static int reap(pid_t pid, int64_t deadline_us, struct rusage *ru)
{
	int st = 0, pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		pid_t r = wait4(pid, &st, WNOHANG, ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			st = -1;
			break;
		}
		int64_t left = deadline_us - now_us(CLOCK_MONOTONIC);
		if (left <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			if (wait4(pid, &st, 0, ru) != pid)
				st = -1;
			break;
		}
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		if (pfd >= 0)
			poll(&p, 1, (int)(left / 1000) + 1);
		else
			poll(NULL, 0, 1);
	}
	if (pfd >= 0)
		close(pfd);
	return st;
}

static int cmd_time(int n, char **argv)
{
	double ms[MAX_RUNS] = {0}, rss[MAX_RUNS] = {0};
	/* Run -1 warms the page cache and is not counted. */
	for (int i = -1; i < n; i++) {
		int64_t t0 = now_us(CLOCK_MONOTONIC);
		pid_t pid = fork();
		if (pid < 0) {
			perror("benchrun: fork");
			return 1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_RDWR);
			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
			}
			setpgid(0, 0);
			execvp(argv[0], argv);
			_exit(127);
		}
		struct rusage ru;
		memset(&ru, 0, sizeof ru);
		int st = reap(pid, t0 + 30 * 1000000LL, &ru);
		double elapsed = (double)(now_us(CLOCK_MONOTONIC) - t0) / 1000.0;
		if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "benchrun: '%s' failed (run %d, status %d)\n", argv[0],
			        i + 1,
			        st < 0          ? -1
			        : WIFEXITED(st) ? WEXITSTATUS(st)
			                        : 128 + WTERMSIG(st));
			return 1;
		}
		if (i >= 0) {
			ms[i] = elapsed;
			rss[i] = (double)ru.ru_maxrss;
		}
	}
	double lo = ms[0], hi = ms[0];
	for (int i = 1; i < n; i++) {
		lo = ms[i] < lo ? ms[i] : lo;
		hi = ms[i] > hi ? ms[i] : hi;
	}
	printf("%.2f %.2f %.2f %.0f\n", median(ms, n), lo, hi, median(rss, n));
	return 0;
}

/* One pty run: milliseconds from fork to the first output holding `text`, or -1. */
static double pty_once(int cols, int rows, int limit_ms, const char *text, char **argv, char *buf)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	int fd;
	int64_t t0 = now_us(CLOCK_MONOTONIC);
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("benchrun: forkpty");
		return -1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	size_t len = 0;
	double found = -1;
	int64_t deadline = t0 + (int64_t)limit_ms * 1000;
	while (found < 0 && now_us(CLOCK_MONOTONIC) < deadline) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int left = (int)((deadline - now_us(CLOCK_MONOTONIC)) / 1000) + 1;
		if (poll(&p, 1, left) <= 0)
			continue;
		ssize_t r = read(fd, buf + len, PTY_BUF - 1 - len);
		if (r <= 0)
			break; /* the child closed the terminal: no frame */
		len += (size_t)r;
		buf[len] = '\0';
		if (memmem(buf, len, text, strlen(text)))
			found = (double)(now_us(CLOCK_MONOTONIC) - t0) / 1000.0;
		if (len >= PTY_BUF - 1)
			len = 0; /* keep reading; a title this late is a failure anyway */
	}
	kill(pid, SIGTERM);
	/* Drain while it restores the terminal so it never blocks on a full pty. */
	int64_t stop = now_us(CLOCK_MONOTONIC) + 3 * 1000000LL;
	int st;
	while (waitpid(pid, &st, WNOHANG) == 0 && now_us(CLOCK_MONOTONIC) < stop) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 10) > 0 && read(fd, buf, PTY_BUF - 1) <= 0)
			poll(NULL, 0, 5);
	}
	reap(pid, now_us(CLOCK_MONOTONIC), NULL);
	close(fd);
	if (found < 0)
		fprintf(stderr, "benchrun: '%s' showed no '%s' within %d ms\n", argv[0], text,
		        limit_ms);
	return found;
}

static int cmd_pty(int cols, int rows, int n, int limit_ms, const char *text, char **argv)
{
	double ms[MAX_RUNS] = {0};
	char *buf = malloc(PTY_BUF);
	if (!buf)
		return 1;
	for (int i = 0; i < n; i++) {
		ms[i] = pty_once(cols, rows, limit_ms, text, argv, buf);
		if (ms[i] < 0) {
			free(buf);
			return 1;
		}
	}
	free(buf);
	double lo = ms[0], hi = ms[0];
	for (int i = 1; i < n; i++) {
		lo = ms[i] < lo ? ms[i] : lo;
		hi = ms[i] > hi ? ms[i] : hi;
	}
	printf("%.2f %.2f %.2f\n", median(ms, n), lo, hi);
	return 0;
}

static int cmd_record(const char *raw_path, const char *idx_path)
{
	int raw = open(raw_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	FILE *idx = fopen(idx_path, "w");
	char buf[65536];
	if (raw < 0 || !idx) {
		perror("benchrun: record");
		return 1;
	}
	for (;;) {
		ssize_t r = read(0, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		int64_t t = now_us(CLOCK_REALTIME);
		if (write(raw, buf, (size_t)r) != r)
			return 1;
		fprintf(idx, "%lld %zd\n", (long long)t, r);
		fflush(idx);
	}
	close(raw);
	fclose(idx);
	return 0;
}

struct chunk {
	long long t_us;
	long off, len;
};

static char *read_file(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat sb;
	char *p = NULL;
	if (fstat(fileno(f), &sb) == 0 && (p = malloc((size_t)sb.st_size + 1)) != NULL) {
		*len = (long)fread(p, 1, (size_t)sb.st_size, f);
		p[*len] = '\0';
	}
	fclose(f);
	return p;
}

/* The reads recorded in the index text, with their offsets in the raw file. Exits on OOM. */
static struct chunk *load_chunks(const char *idx, size_t *n_out)
{
	size_t cap = 1024, n = 0;
	struct chunk *c = malloc(cap * sizeof *c);
	long off = 0;
	for (const char *line = idx; c && *line;) {
		long long t;
		long len;
		if (sscanf(line, "%lld %ld", &t, &len) == 2) {
			if (n == cap) {
				struct chunk *bigger = realloc(c, (cap *= 2) * sizeof *c);
				if (!bigger)
					free(c);
				c = bigger;
				if (!c)
					break;
			}
			c[n++] = (struct chunk){t, off, len};
			off += len;
		}
		const char *nl = strchr(line, '\n');
		line = nl ? nl + 1 : line + strlen(line);
	}
	if (!c) {
		fputs("benchrun: out of memory\n", stderr);
		exit(1);
	}
	*n_out = n;
	return c;
}

/* Group the reads from `first` into bursts; the size of the one holding offset `at`. */
static int report_bursts(const struct chunk *c, size_t n, size_t first, long at, int gap_ms)
{
	double quiet[4096];
	int nq = 0;
	long change = -1;
	for (size_t i = first; i < n && change < 0;) {
		size_t j = i;
		long bytes = c[i].len;
		while (j + 1 < n && c[j + 1].t_us - c[j].t_us < (long long)gap_ms * 1000)
			bytes += c[++j].len;
		if (at >= c[i].off && at < c[j].off + c[j].len)
			change = bytes;
		else if (nq < 4096)
			quiet[nq++] = (double)bytes;
		i = j + 1;
	}
	printf("%ld %.0f %d\n", change, nq ? median(quiet, nq) : 0.0, nq);
	return 0;
}

static int cmd_burst(const char *raw_path, const char *idx_path, long long since, const char *text,
                     int gap_ms)
{
	long raw_len = 0, idx_len = 0;
	char *raw = read_file(raw_path, &raw_len);
	char *idx = read_file(idx_path, &idx_len);
	int rc = 1;
	if (!raw || !idx) {
		fprintf(stderr, "benchrun: cannot read %s or %s\n", raw_path, idx_path);
		free(raw);
		free(idx);
		return 1;
	}
	size_t n, first = 0;
	struct chunk *c = load_chunks(idx, &n);
	while (first < n && c[first].t_us < since)
		first++;
	const char *hit = NULL;
	if (first < n && c[first].off < raw_len)
		hit = memmem(raw + c[first].off, (size_t)(raw_len - c[first].off), text,
		             strlen(text));
	if (hit)
		rc = report_bursts(c, n, first, (long)(hit - raw), gap_ms);
	else
		fprintf(stderr, "benchrun: no '%s' in the output after the mark\n", text);
	free(c);
	free(raw);
	free(idx);
	return rc;
}

static int usage(void)
{
	fputs("usage: benchrun time N -- CMD...\n"
	      "       benchrun pty COLS ROWS N MS TEXT -- CMD...\n"
	      "       benchrun record RAW IDX\n"
	      "       benchrun burst RAW IDX SINCE_US TEXT GAP_MS\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int n, cols, rows, ms;
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 5 && strcmp(argv[1], "time") == 0 && strcmp(argv[3], "--") == 0) {
		if (parse_int(argv[2], 1, MAX_RUNS, &n) < 0)
			return 2;
		return cmd_time(n, argv + 4);
	}
	if (argc >= 9 && strcmp(argv[1], "pty") == 0 && strcmp(argv[7], "--") == 0) {
		if (parse_int(argv[2], 20, 500, &cols) < 0 ||
		    parse_int(argv[3], 5, 300, &rows) < 0 ||
		    parse_int(argv[4], 1, MAX_RUNS, &n) < 0 ||
		    parse_int(argv[5], 1, 600000, &ms) < 0)
			return 2;
		return cmd_pty(cols, rows, n, ms, argv[6], argv + 8);
	}
	if (argc == 4 && strcmp(argv[1], "record") == 0)
		return cmd_record(argv[2], argv[3]);
	if (argc == 7 && strcmp(argv[1], "burst") == 0) {
		if (parse_int(argv[6], 1, 60000, &ms) < 0)
			return 2;
		return cmd_burst(argv[2], argv[3], strtoll(argv[4], NULL, 10), argv[5], ms);
	}
	return usage();
}
