// The built-in per-kind health checks (one .cc per kind in this folder) and
// small helpers they share. Internal to gitopsd::diff; see diff/health.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/object.h"
#include "diff/health.h"

namespace gitopsd::diff::health {

HealthStatus DeploymentHealth(const Object& obj);
HealthStatus StatefulSetHealth(const Object& obj);
HealthStatus DaemonSetHealth(const Object& obj);
HealthStatus ReplicaSetHealth(const Object& obj);
HealthStatus PodHealth(const Object& obj);
HealthStatus ServiceHealth(const Object& obj);
HealthStatus IngressHealth(const Object& obj);
HealthStatus PvcHealth(const Object& obj);
HealthStatus JobHealth(const Object& obj);
HealthStatus CronJobHealth(const Object& obj);
HealthStatus HpaHealth(const Object& obj);
HealthStatus ApiServiceHealth(const Object& obj);

// The integer at a dotted path, or `fallback` when missing / not a number.
int64_t Int(const Object& obj, std::string_view dotted, int64_t fallback = 0);
// The condition of `type` in the list at `dotted` (e.g. "status.conditions"),
// or nullptr.
const Object* FindCondition(const Object& obj, std::string_view dotted, std::string_view type);
// A condition's string field ("status", "reason", "message"), "" if absent.
std::string CondField(const Object& cond, const char* field);
// True when the list at `dotted` exists and is non-empty.
bool NonEmptyList(const Object& obj, std::string_view dotted);

inline HealthStatus Healthy(std::string m = "") { return {HealthCode::kHealthy, std::move(m)}; }
inline HealthStatus Progressing(std::string m) { return {HealthCode::kProgressing, std::move(m)}; }
inline HealthStatus Degraded(std::string m) { return {HealthCode::kDegraded, std::move(m)}; }
inline HealthStatus Suspended(std::string m) { return {HealthCode::kSuspended, std::move(m)}; }
inline HealthStatus Unknown(std::string m) { return {HealthCode::kUnknown, std::move(m)}; }

}  // namespace gitopsd::diff::health
