// Internal: the autoscaling/v1 Scale view of Deployments, ReplicaSets and
// StatefulSets (§12.3).
#pragma once

#include "core/object.h"

namespace gitopsd::kubesim {

// The Scale of an owner object.
Object ScaleOf(const Object& owner);

// "k=v,k2=v2" from a LabelSelector's matchLabels (+ matchExpressions).
std::string SelectorString(const Object& selector);

}  // namespace gitopsd::kubesim
