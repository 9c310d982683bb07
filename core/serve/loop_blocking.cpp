#include "core/serve/loop_blocking.hpp"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/base/error.hpp"
#include "core/base/monotonic_clock.hpp"
#include "core/serve/protocol.hpp"
#include "core/serve/work.hpp"
#include "core/base/unique_fd.hpp"

namespace pollscope::serve {

namespace {

constexpr size_t kStackSize = 256 * 1024;
constexpr size_t kReadBuf = 16 * 1024;

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void set_timeout(int fd, int opt, double seconds) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(seconds);
  tv.tv_usec = static_cast<suseconds_t>((seconds - static_cast<double>(tv.tv_sec)) * 1e6);
  ::setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof tv);
}

}  // namespace

struct BlockingServer::Impl {
  Shared& shared;
  std::vector<int> listen_fds;
  std::vector<std::thread> acceptors;
  std::mutex mu;  // guards open_fds and threads; never held across a blocking call
  std::condition_variable cv;
  std::set<int> open_fds;  // connections whose thread is running
  size_t threads = 0;      // connection threads alive
  std::mutex reserve_mu;  // acceptor threads (one per listening socket) share `reserve`
  UniqueFd reserve{::open("/dev/null", O_RDONLY | O_CLOEXEC)};

  Impl(Shared& s, std::vector<int> l) : shared(s), listen_fds(std::move(l)) {}

  void refuse(int fd, const char* why) {
    ProtocolConfig pc;
    pc.proto = shared.cfg.proto;
    refuse_connection(*make_protocol(pc), fd, why);
    shared.errors++;
  }

  // accept() failed for lack of descriptors. accept() checks for a free descriptor
  // before it looks at the queue, so it fails at once even when nobody is waiting:
  // first wait (without needing a descriptor) until a client is actually pending,
  // then take it with the spare descriptor. Nothing here blocks while holding `mu`:
  // connection threads need `mu` in finish() before they can close their fds, so
  // blocking with it held would keep the server at its limit after clients leave.
  void handle_fd_exhaustion(int lfd) {
    pollfd p{lfd, POLLIN, 0};
    int r = ::poll(&p, 1, 100);
    if (r <= 0 || shared.stop) return;  // nobody pending (or EINTR): retry accept()
    std::lock_guard<std::mutex> g(reserve_mu);
    if (!reserve.valid()) reserve.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!reserve.valid()) {
      // No spare descriptor to answer with: the client waits in the queue until
      // descriptors come back. Sleep instead of spinning on a readable socket.
      shared.errors++;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      return;
    }
    reserve.reset();
    // The listening socket is blocking, but a connection is pending and this thread
    // is the only one accepting on lfd, so this returns at once.
    int f = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
    int err = errno;
    reserve.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (f < 0) {
      // Still no room (ENOBUFS, ENOMEM, or another acceptor took the slot): do not spin.
      if (err != EINTR && err != ECONNABORTED && !shared.stop) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return;
    }
    if (reserve.valid()) {
      // Connection threads closed descriptors meanwhile: there is room, serve it.
      admit(f);
      return;
    }
    refuse(f, kNoFdsReason);
    reserve.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }

  void admit(int fd) {
    if (shared.active.load() >= shared.cfg.max_conns) {
      shared.log_limited(2, "--max-conns %zu reached: refusing connections", shared.cfg.max_conns);
      refuse(fd, kMaxConnsReason);
      return;
    }
    start_connection(fd);
  }

  void accept_loop(int lfd) {
    while (!shared.stop) {
      int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        int err = errno;
        if (shared.stop) break;
        if (err == EINTR || err == ECONNABORTED || err == EPROTO) continue;
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
          shared.log_limited(0, "accept: %s; refusing new connections until descriptors are free", std::strerror(err));
          handle_fd_exhaustion(lfd);
          continue;
        }
        if (err == EINVAL) break;  // shut down by stop()
        shared.log_limited(1, "accept: %s", std::strerror(err));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (!restore_reserve()) {
        refuse(fd, kNoFdsReason);  // closing it is what lets the spare come back
        restore_reserve();
        continue;
      }
      admit(fd);
    }
  }

  // The spare descriptor comes before any new connection. It can go missing when
  // another thread opens a descriptor for a moment just as handle_fd_exhaustion()
  // gives the spare back (glibc opens /sys/devices/system/cpu/online when a new
  // connection thread first allocates); the next accept() then takes the freed
  // slot. Admitting that connection would leave the server at its limit with no
  // spare, unable to tell anyone, so it is refused and its slot becomes the spare.
  bool restore_reserve() {
    std::lock_guard<std::mutex> g(reserve_mu);
    if (!reserve.valid()) reserve.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    return reserve.valid();
  }

  struct Arg {
    Impl* self;
    int fd;
  };

  void start_connection(int fd) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (shared.cfg.idle_timeout_s > 0) set_timeout(fd, SO_RCVTIMEO, shared.cfg.idle_timeout_s);
    {
      std::lock_guard<std::mutex> g(mu);
      open_fds.insert(fd);
      ++threads;
    }
    shared.active++;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kStackSize);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t tid;
    auto* arg = new Arg{this, fd};
    int rc = pthread_create(&tid, &attr, &Impl::thread_main, arg);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
      delete arg;
      shared.log_limited(3, "cannot start a connection thread: %s", std::strerror(rc));
      finish(fd);
      refuse(fd, "server cannot start a thread for this connection");
    }
  }

  // Forgets the connection; the caller closes it.
  void finish(int fd) {
    shared.active--;
    std::lock_guard<std::mutex> g(mu);
    open_fds.erase(fd);
    --threads;
    cv.notify_all();
  }

  static void* thread_main(void* p) {
    std::unique_ptr<Arg> a(static_cast<Arg*>(p));
    a->self->serve_connection(a->fd);
    return nullptr;
  }

  void serve_connection(int fd) {
    Counters cnt;
    cnt.connections = 1;
    ProtocolConfig pc;
    pc.proto = shared.cfg.proto;
    pc.max_request = shared.cfg.max_request;
    pc.body_size = shared.cfg.body_size;
    pc.keyspace = &shared.keyspace;
    auto proto = make_protocol(pc);
    std::string in, out;
    std::unique_ptr<char[]> buf(new char[kReadBuf]);
    bool linger = false;
    for (;;) {
      ssize_t n = ::read(fd, buf.get(), kReadBuf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // EOF, error, idle timeout (EAGAIN), or stop (shutdown)
      FeedResult r;
      if (in.empty()) {
        r = proto->feed(buf.get(), static_cast<size_t>(n), out);
        if (r.consumed < static_cast<size_t>(n) && !r.close) in.assign(buf.get() + r.consumed, static_cast<size_t>(n) - r.consumed);
      } else {
        in.append(buf.get(), static_cast<size_t>(n));
        r = proto->feed(in.data(), in.size(), out);
        in.erase(0, r.consumed);
      }
      cnt.requests += r.requests;
      burn_cpu_us(static_cast<uint64_t>(shared.cfg.work_us) * r.requests);
      if (r.error) ++cnt.errors;
      if (!out.empty()) {
        if (!write_all(fd, out.data(), out.size())) break;
        out.clear();
      }
      if (r.close) {
        linger = true;
        break;
      }
    }
    if (linger && !shared.stop) {
      // Let the client read the last reply: shut our side, discard input for up to 2 s.
      ::shutdown(fd, SHUT_WR);
      set_timeout(fd, SO_RCVTIMEO, 0.25);
      const double deadline = monotonic_s() + 2.0;
      while (monotonic_s() < deadline && !shared.stop) {
        ssize_t n = ::read(fd, buf.get(), kReadBuf);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)) break;
      }
    }
    shared.add(cnt);
    finish(fd);
    ::close(fd);
  }
};

BlockingServer::BlockingServer(Shared& shared, std::vector<int> listen_fds)
    : impl_(new Impl(shared, std::move(listen_fds))) {}

BlockingServer::~BlockingServer() {
  stop();
  delete impl_;
}

void BlockingServer::start() {
  for (int lfd : impl_->listen_fds) impl_->acceptors.emplace_back([this, lfd] { impl_->accept_loop(lfd); });
}

void BlockingServer::stop() {
  Impl& s = *impl_;
  if (s.acceptors.empty()) return;
  s.shared.stop = true;
  for (int lfd : s.listen_fds) ::shutdown(lfd, SHUT_RDWR);
  for (auto& t : s.acceptors) t.join();
  s.acceptors.clear();
  std::unique_lock<std::mutex> g(s.mu);
  for (int fd : s.open_fds) ::shutdown(fd, SHUT_RDWR);
  s.cv.wait_for(g, std::chrono::seconds(5), [&] { return s.threads == 0; });
}

}  // namespace pollscope::serve
