// Secret masking: Secret values never leave gitopsd — not in diffs, the API,
// the console, nor logs. Every value of a core/v1 Secret's `data` and
// `stringData` is replaced by a run of '+' characters, chosen per key so
// that within one diff equal values look equal and different values differ:
// for each key, the first distinct value met gets "++++++++" (8), the next
// one 12, then 16... (Argo CD's scheme, so its users recognise it). Values
// are met in a fixed order: live first, then desired, so an unchanged value
// shows as ++++++++ on both sides and a changed one as ++++++++ ->
// ++++++++++++. Masks carry no information about the value itself (not its
// length, not a hash), and nothing is shared between keys or between diffs.
//
// The kubectl last-applied-configuration annotation of a Secret holds the
// values too: it is parsed, masked the same way and re-serialized (or
// replaced by a mask when it does not parse).
//
// Pure functions; thread-safe. Non-Secret objects pass unchanged.
#pragma once

#include <string>
#include <vector>

#include "core/object.h"

namespace gitopsd::diff {

inline constexpr char kMask[] = "++++++++";

// True for core/v1 Secrets.
bool IsSecret(const Object& obj);

// Masks a pair of versions of one object in place (either may be null).
void MaskSecretPair(Object& live, Object& desired);

// Masks one object on its own (manifest views, logs, error messages).
void MaskSecret(Object& obj);

// Masks the values of the named annotations on objects of any kind (Argo CD's
// resource.sensitive.mask.annotations), with the same per-key scheme.
void MaskAnnotationsPair(Object& live, Object& desired, const std::vector<std::string>& keys);

}  // namespace gitopsd::diff
