#include "tail_attribution.hpp"

#include <algorithm>
#include <stdexcept>

namespace dfrace::bench {

namespace {

std::array<bool, static_cast<std::size_t>(TailCause::kCount)> events_present(const BatchEvents& e) {
  const bool any = e.lock_waits > 0 || e.drain_queued > 0 || e.fallbacks > 0 || e.buffer_switches > 0;
  return {e.lock_waits > 0, e.drain_queued > 0, e.fallbacks > 0, e.buffer_switches > 0, !any};
}

TailCause charged_cause(const BatchEvents& e) {
  const auto present = events_present(e);
  for (std::size_t c = 0; c + 1 < present.size(); ++c) {
    if (present[c]) return static_cast<TailCause>(c);
  }
  return TailCause::kNone;
}

double percent(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

}  // namespace

TailAttribution attribute_tail(const AttributedBatches& kept, AttributedBatches preempted, unsigned batch,
                               const TscCalibration& cal) {
  const std::vector<float>& samples = kept.samples;
  const std::vector<BatchEvents>& events = kept.events;
  if (samples.size() != events.size() || preempted.samples.size() != preempted.events.size()) {
    throw std::logic_error("attribute_tail: one event record per batch");
  }
  TailAttribution out;
  out.preempted_batches = preempted.samples.size();
  out.preempted_percent = percent(static_cast<double>(out.preempted_batches),
                                  static_cast<double>(out.preempted_batches + samples.size()));
  std::size_t preempted_queued = 0;
  for (const BatchEvents& e : preempted.events) preempted_queued += e.drain_queued > 0;
  out.preempted_with_drain_queued_percent =
      percent(static_cast<double>(preempted_queued), static_cast<double>(out.preempted_batches));
  out.preempted_median_ns = summarize(preempted.samples, 2).p50;
  out.batches = samples.size();
  std::vector<float> sorted = samples;
  out.latency = summarize(sorted);
  out.threshold_ns = out.latency.p99;
  if (samples.empty()) return out;

  constexpr std::size_t kCauses = static_cast<std::size_t>(TailCause::kCount);
  std::array<std::vector<float>, kCauses> charged;
  std::array<std::size_t, kCauses> with_event_tail{}, with_event_all{};
  double excess_ns = 0, lock_wait_ns = 0, queue_ns = 0;
  BatchEvents run_total;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    run_total += events[i];
    const auto present = events_present(events[i]);
    for (std::size_t c = 0; c < kCauses; ++c) with_event_all[c] += present[c];
    if (samples[i] < out.threshold_ns) continue;
    ++out.tail_batches;
    for (std::size_t c = 0; c < kCauses; ++c) with_event_tail[c] += present[c];
    charged[static_cast<std::size_t>(charged_cause(events[i]))].push_back(samples[i]);
    excess_ns += std::max(0.0, (samples[i] - out.latency.p50) * batch);
    lock_wait_ns += cal.ticks_to_ns(static_cast<double>(events[i].lock_wait_ticks));
    queue_ns += cal.ticks_to_ns(static_cast<double>(events[i].queue_ticks));
    out.trylock_failures_in_tail += events[i].trylock_failures;
  }
  for (std::size_t c = 0; c < kCauses; ++c) {
    CauseShare& s = out.causes[c];
    s.tail_batches = charged[c].size();
    s.tail_percent = percent(static_cast<double>(s.tail_batches), static_cast<double>(out.tail_batches));
    s.tail_with_event_percent = percent(static_cast<double>(with_event_tail[c]), static_cast<double>(out.tail_batches));
    s.all_with_event_percent = percent(static_cast<double>(with_event_all[c]), static_cast<double>(out.batches));
    s.median_ns = summarize(charged[c], 2).p50;
  }
  if (run_total.drain_queued > 0) {
    out.mean_queue_ns = cal.ticks_to_ns(static_cast<double>(run_total.queue_ticks)) / run_total.drain_queued;
  }
  if (run_total.lock_waits > 0) {
    out.mean_lock_wait_ns = cal.ticks_to_ns(static_cast<double>(run_total.lock_wait_ticks)) / run_total.lock_waits;
  }
  out.lock_wait_time_percent = percent(lock_wait_ns, excess_ns);
  out.queue_time_percent = percent(queue_ns, excess_ns);
  return out;
}

}  // namespace dfrace::bench
