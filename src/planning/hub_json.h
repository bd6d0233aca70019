#pragma once
// The Carers' Hub audit as JSON (`goldthread hub --json`), in the shape of
// shared/DESIGN.md section 7: {"year", "cells": [{"intervention", "group",
// "area", "reached", "estimated", "reach", "reach_low", "reach_high",
// "providers", "rating", "evidence"}]}, with more fields beside those
// (docs/hub.md "JSON"). Absent values are null, never NaN.

#include <string>

#include "planning/hub_audit.h"

namespace goldthread::planning {

/// The whole audit, indented by 2.
std::string HubAuditToJson(const HubAudit& audit, const HubRules& rules);

}  // namespace goldthread::planning
