package io.ferry.agent.adapter.libvirt;

import io.ferry.agent.app.MigrationListener;
import io.ferry.agent.domain.JobEnd;
import io.ferry.agent.domain.JobReading;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps what a driver reported about one job. */
final class RecordingListener implements MigrationListener {

    final List<JobReading> readings = new CopyOnWriteArrayList<>();
    final AtomicReference<JobEnd> end = new AtomicReference<>();

    @Override
    public void progress(JobReading reading) {
        readings.add(reading);
    }

    @Override
    public void ended(JobEnd jobEnd) {
        end.set(jobEnd);
    }

    JobReading last() {
        return readings.getLast();
    }
}
