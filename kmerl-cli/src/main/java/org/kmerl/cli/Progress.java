package org.kmerl.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on standard error for the long jobs (me.tongfei:progressbar: rate, elapsed, ETA). */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, long total, String unit) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(250).continuousUpdate().build();
    }

    /** Text shown after the bar (current loss terms, for instance). */
    void message(String text) {
        bar.setExtraMessage(text);
    }

    /** Whether standard error is a terminal a bar can redraw (bars are off in logs and pipes). */
    static boolean interactive() {
        return System.console() != null;
    }

    /** Sets the count of finished items. */
    void done(long count) {
        bar.stepTo(count);
    }

    @Override
    public void close() {
        bar.close();
    }
}
