// A small route for the patrol tests: two areas, three checkpoints.
#pragma once

#include "core/patrol.hpp"

namespace patrol_test {

inline steward::core::PatrolTemplate small_template() {
  steward::core::PatrolTemplate t;
  t.id = "patrol_template:t1";
  t.site = "demo";
  t.name = "夜间巡查";
  t.areas = {{"lobby", "大堂", {{"lobby-door", "正门", {"门禁正常"}}, {"lobby-hall", "前厅", {"地面清洁"}}}},
             {"garage", "地下车库", {{"garage-b1", "B1 车库", {"照明正常", "无渗漏水"}}}}};
  return t;
}

}  // namespace patrol_test
