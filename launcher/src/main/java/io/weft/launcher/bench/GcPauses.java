package io.weft.launcher.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's minor and major collections in windows (the longest and their total, from the
 * collectors' notifications); with the default G1 these are its stop-the-world pauses. A pause
 * holds every event loop, so a loop stall is only ours when it is longer than the pauses of its
 * window.
 */
final class GcPauses implements AutoCloseable {

  private final AtomicLong longestMs = new AtomicLong();
  private final AtomicLong totalMs = new AtomicLong();
  private final AtomicLong count = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = (notification, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      if (info.getGcAction().contains("end of minor") || info.getGcAction().contains("end of major")) {
        long ms = info.getGcInfo().getDuration();
        longestMs.accumulateAndGet(ms, Math::max);
        totalMs.addAndGet(ms);
        count.incrementAndGet();
      }
    }
  };

  /** One window's collections. */
  record Window(long count, long longestMs, long totalMs) {
  }

  static GcPauses watch() {
    GcPauses pauses = new GcPauses();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(pauses.listener, null, null);
        pauses.emitters.add(emitter);
      }
    }
    return pauses;
  }

  /** Ends the window and starts the next. */
  Window drain() {
    return new Window(count.getAndSet(0), longestMs.getAndSet(0), totalMs.getAndSet(0));
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // already gone
      }
    }
  }
}
