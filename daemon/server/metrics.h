// Prometheus metrics: counter, gauge and histogram families with labels, and
// the text exposition format (version 0.0.4) served on /metrics.
//
// A Registry owns its families; families hand out children by label values.
// All operations are thread-safe (one mutex per family; increments are
// cheap). Label values are escaped on output. Families are registered once at
// start-up; Expose() renders them in registration order.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gitopsd::server {

using LabelValues = std::vector<std::string>;

class MetricFamily {
 public:
  virtual ~MetricFamily() = default;
  virtual void Expose(std::string& out) const = 0;
};

class CounterFamily : public MetricFamily {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> labels);
  void Inc(const LabelValues& values, double by = 1);
  double Value(const LabelValues& values) const;
  void Expose(std::string& out) const override;

 private:
  std::string name_, help_;
  std::vector<std::string> labels_;
  mutable std::mutex mu_;
  std::map<LabelValues, double> values_;
};

class GaugeFamily : public MetricFamily {
 public:
  GaugeFamily(std::string name, std::string help, std::vector<std::string> labels);
  void Set(const LabelValues& values, double v);
  // Replaces every child at once (e.g. gitopsd_app_info after a refresh).
  void ReplaceAll(std::map<LabelValues, double> values);
  void Remove(const LabelValues& values);
  double Value(const LabelValues& values) const;
  void Expose(std::string& out) const override;

 private:
  std::string name_, help_;
  std::vector<std::string> labels_;
  mutable std::mutex mu_;
  std::map<LabelValues, double> values_;
};

class HistogramFamily : public MetricFamily {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> labels,
                  std::vector<double> buckets);
  void Observe(const LabelValues& values, double v);
  void Expose(std::string& out) const override;

 private:
  struct Child {
    std::vector<uint64_t> counts;  // per bucket, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  std::string name_, help_;
  std::vector<std::string> labels_;
  std::vector<double> buckets_;
  mutable std::mutex mu_;
  std::map<LabelValues, Child> children_;
};

class Registry {
 public:
  CounterFamily& Counter(std::string name, std::string help, std::vector<std::string> labels = {});
  GaugeFamily& Gauge(std::string name, std::string help, std::vector<std::string> labels = {});
  HistogramFamily& Histogram(std::string name, std::string help, std::vector<std::string> labels,
                             std::vector<double> buckets);
  // The whole exposition, text format 0.0.4.
  std::string Expose() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<MetricFamily>> families_;
};

// Default buckets for durations in seconds (5ms .. 5min).
std::vector<double> DurationBuckets();

}  // namespace gitopsd::server
