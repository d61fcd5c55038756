#include "daemon/server/metrics.h"

#include <cmath>
#include <cstdio>

namespace gitopsd::server {
namespace {

void AppendEscaped(std::string& out, const std::string& v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

void AppendHelp(std::string& out, const std::string& name, const std::string& help,
                const char* type) {
  out += "# HELP " + name + " ";
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  out += "\n# TYPE " + name + " " + type + "\n";
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[32];
  snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// name{l1="v1",l2="v2"[,extra]} value
void AppendSample(std::string& out, const std::string& name, const std::vector<std::string>& labels,
                  const LabelValues& values, const std::string& extra_label,
                  const std::string& extra_value, double v) {
  out += name;
  bool any = !labels.empty() || !extra_label.empty();
  if (any) {
    out.push_back('{');
    bool first = true;
    for (size_t i = 0; i < labels.size(); ++i) {
      if (!first) out.push_back(',');
      first = false;
      out += labels[i] + "=\"";
      AppendEscaped(out, i < values.size() ? values[i] : "");
      out.push_back('"');
    }
    if (!extra_label.empty()) {
      if (!first) out.push_back(',');
      out += extra_label + "=\"" + extra_value + "\"";
    }
    out.push_back('}');
  }
  out.push_back(' ');
  out += FormatValue(v);
  out.push_back('\n');
}

LabelValues Fit(const LabelValues& values, size_t n) {
  LabelValues v = values;
  v.resize(n);
  return v;
}

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help, std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)) {}

void CounterFamily::Inc(const LabelValues& values, double by) {
  std::lock_guard<std::mutex> lock(mu_);
  values_[Fit(values, labels_.size())] += by;
}

double CounterFamily::Value(const LabelValues& values) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(Fit(values, labels_.size()));
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::Expose(std::string& out) const {
  AppendHelp(out, name_, help_, "counter");
  std::lock_guard<std::mutex> lock(mu_);
  if (labels_.empty() && values_.empty()) AppendSample(out, name_, labels_, {}, "", "", 0);
  for (const auto& [lv, v] : values_) AppendSample(out, name_, labels_, lv, "", "", v);
}

GaugeFamily::GaugeFamily(std::string name, std::string help, std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)) {}

void GaugeFamily::Set(const LabelValues& values, double v) {
  std::lock_guard<std::mutex> lock(mu_);
  values_[Fit(values, labels_.size())] = v;
}

void GaugeFamily::ReplaceAll(std::map<LabelValues, double> values) {
  std::lock_guard<std::mutex> lock(mu_);
  values_ = std::move(values);
}

void GaugeFamily::Remove(const LabelValues& values) {
  std::lock_guard<std::mutex> lock(mu_);
  values_.erase(Fit(values, labels_.size()));
}

double GaugeFamily::Value(const LabelValues& values) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(Fit(values, labels_.size()));
  return it == values_.end() ? 0 : it->second;
}

void GaugeFamily::Expose(std::string& out) const {
  AppendHelp(out, name_, help_, "gauge");
  std::lock_guard<std::mutex> lock(mu_);
  if (labels_.empty() && values_.empty()) AppendSample(out, name_, labels_, {}, "", "", 0);
  for (const auto& [lv, v] : values_) AppendSample(out, name_, labels_, lv, "", "", v);
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> labels, std::vector<double> buckets)
    : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)),
      buckets_(std::move(buckets)) {}

void HistogramFamily::Observe(const LabelValues& values, double v) {
  std::lock_guard<std::mutex> lock(mu_);
  Child& c = children_[Fit(values, labels_.size())];
  if (c.counts.empty()) c.counts.assign(buckets_.size(), 0);
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (v <= buckets_[i]) {
      ++c.counts[i];
      break;
    }
  }
  ++c.count;
  c.sum += v;
}

void HistogramFamily::Expose(std::string& out) const {
  AppendHelp(out, name_, help_, "histogram");
  std::lock_guard<std::mutex> lock(mu_);
  auto expose_child = [&](const LabelValues& lv, const Child& c) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
      cumulative += c.counts.empty() ? 0 : c.counts[i];
      AppendSample(out, name_ + "_bucket", labels_, lv, "le", FormatValue(buckets_[i]),
                   static_cast<double>(cumulative));
    }
    AppendSample(out, name_ + "_bucket", labels_, lv, "le", "+Inf", static_cast<double>(c.count));
    AppendSample(out, name_ + "_sum", labels_, lv, "", "", c.sum);
    AppendSample(out, name_ + "_count", labels_, lv, "", "", static_cast<double>(c.count));
  };
  if (labels_.empty() && children_.empty()) expose_child({}, Child{});
  for (const auto& [lv, c] : children_) expose_child(lv, c);
}

CounterFamily& Registry::Counter(std::string name, std::string help,
                                 std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(
      std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(labels)));
  return static_cast<CounterFamily&>(*families_.back());
}

GaugeFamily& Registry::Gauge(std::string name, std::string help, std::vector<std::string> labels) {
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(
      std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(labels)));
  return static_cast<GaugeFamily&>(*families_.back());
}

HistogramFamily& Registry::Histogram(std::string name, std::string help,
                                     std::vector<std::string> labels, std::vector<double> buckets) {
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(std::make_unique<HistogramFamily>(std::move(name), std::move(help),
                                                        std::move(labels), std::move(buckets)));
  return static_cast<HistogramFamily&>(*families_.back());
}

std::string Registry::Expose() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out.reserve(4096);
  for (const auto& f : families_) f->Expose(out);
  return out;
}

std::vector<double> DurationBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
}

}  // namespace gitopsd::server
