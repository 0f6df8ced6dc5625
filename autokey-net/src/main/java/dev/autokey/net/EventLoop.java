package dev.autokey.net;

import dev.autokey.net.internal.BoundSockets;
import dev.autokey.net.internal.BoundSockets.Endpoint;
import dev.autokey.net.internal.TimerQueue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loop thread of a {@link UdpTransport}: one daemon thread runs the selector over the bound
 * sockets, hands each datagram to the handler, and runs submitted tasks and timers; on close it
 * drains what is queued on the sockets (see {@link UdpTransport}'s class comment), then closes
 * them.
 */
final class EventLoop {
  private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

  private final BoundSockets sockets;
  private final Selector selector;
  private final DatagramHandler handler;
  private final NtpClock clock;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final TimerQueue timers = new TimerQueue();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final byte[] rxArray = new byte[UdpTransport.MAX_DATAGRAM + 1];
  private final ByteBuffer rx = ByteBuffer.wrap(rxArray);
  private volatile boolean closing;
  final AtomicLong received = new AtomicLong();
  final AtomicLong oversized = new AtomicLong();
  final AtomicLong handlerErrors = new AtomicLong();

  EventLoop(BoundSockets sockets, Selector selector, DatagramHandler handler, NtpClock clock,
      String threadName) {
    this.sockets = sockets;
    this.selector = selector;
    this.handler = handler;
    this.clock = clock;
    this.thread = new Thread(this::loop, threadName);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (closing && isTerminated()) {
      throw new IllegalStateException("transport closed");
    }
    tasks.add(task);
    if (!inLoop()) {
      selector.wakeup();
    }
  }

  Cancellable schedule(long delayNanos, Runnable task) {
    Objects.requireNonNull(task, "task");
    Cancellable t = timers.timer(delayNanos, task);
    if (inLoop()) {
      timers.add(t);
    } else {
      execute(() -> timers.add(t));
    }
    return t;
  }

  void close() {
    closing = true;
    selector.wakeup();
    if (!inLoop()) {
      try {
        if (!terminated.await(10, TimeUnit.SECONDS)) {
          LOG.log(Level.WARNING, "transport loop did not stop within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    try {
      while (!closing) {
        runTasks();
        timers.runDue(ex -> failed("timer task", ex));
        if (closing) {
          break;
        }
        long wait = timers.waitMillis();
        int n;
        if (!tasks.isEmpty() || wait == 0) {
          n = selector.selectNow();
        } else if (wait < 0) {
          n = selector.select();
        } else {
          n = selector.select(wait);
        }
        if (n > 0) {
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (k.isValid() && k.isReadable()) {
              readBatch((Endpoint) k.attachment(), UdpTransport.READ_BATCH);
            }
          }
        }
      }
      // final drain: everything already queued on the sockets, then pending tasks
      int budget = UdpTransport.MAX_FINAL_DRAIN;
      boolean any = true;
      while (any && budget > 0) {
        any = false;
        for (Endpoint e : sockets.all()) {
          int got = readBatch(e, Math.min(UdpTransport.READ_BATCH, budget));
          budget -= got;
          any |= got > 0;
        }
      }
      runTasks();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "transport loop failed", e);
    } finally {
      sockets.close();
      try {
        selector.close();
      } catch (IOException ex) {
        LOG.log(Level.DEBUG, () -> "close selector: " + ex);
      }
      terminated.countDown();
    }
  }

  private int readBatch(Endpoint e, int max) throws IOException {
    int got = 0;
    while (got < max) {
      rx.clear();
      SocketAddress from;
      try {
        from = e.channel().receive(rx);
      } catch (ClosedChannelException ex) {
        return got;
      } catch (IOException ex) {
        // e.g. ICMP port unreachable reported on Linux for an earlier send: not fatal
        LOG.log(Level.DEBUG, () -> "receive on " + e.local() + ": " + ex);
        continue;
      }
      if (from == null) {
        return got;
      }
      long rxTime = clock.now();
      got++;
      int len = rx.position();
      if (len > UdpTransport.MAX_DATAGRAM) {
        oversized.incrementAndGet();
        continue;
      }
      received.incrementAndGet();
      Datagram d = new Datagram(rxArray, len, (InetSocketAddress) from, e.local(), e.broadcast(),
          rxTime);
      try {
        handler.onDatagram(d);
      } catch (RuntimeException ex) {
        failed("handler on " + d, ex);
      }
    }
    return got;
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException ex) {
        failed("task", ex);
      }
    }
  }

  private void failed(String what, RuntimeException ex) {
    handlerErrors.incrementAndGet();
    LOG.log(Level.WARNING, what + " failed", ex);
  }
}
