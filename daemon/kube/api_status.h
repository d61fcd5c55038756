// Decoding API server error answers (kind: Status, or any body) into
// gitopsd Status values. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"

namespace gitopsd::kube {

// The Code for an HTTP status and the Status' `reason` (409 with reason
// AlreadyExists -> kAlreadyExists, other 409 -> kConflict, ...).
Code CodeForHttp(int http_status, std::string_view reason);

// The error for a non-2xx answer: `what` (e.g. `GET deployments.apps
// "web" in "shop"`), then the server's message (or the body, shortened),
// then "(Reason, HTTP code)". For 410 the message contains "Gone".
Status ApiError(int http_status, std::string_view body, std::string_view what);

// True for the 410 Gone / "Expired" error ApiError produced.
bool IsGone(const Status& status);

}  // namespace gitopsd::kube
