#include "core/analysis/verdict_json.hpp"

namespace pollscope {

Json verdict_to_json(const Verdict& v) {
  Json j;
  j["available"] = v.available;
  j["healthy"] = v.healthy;
  j["threshold_ns"] = v.threshold_ns;
  j["summary"] = v.summary;
  Json items = Json::array();
  for (const auto& it : v.items) {
    Json o;
    o["pid"] = it.pid;
    o["tid"] = it.tid;
    o["comm"] = it.comm;
    o["split"] = it.split;
    o["p99_ns"] = static_cast<uint64_t>(it.p99_ns);
    o["late"] = it.late;
    o["dominant"] = stage_name(it.dominant);
    o["tail_from_ns"] = it.tail_from_ns;
    Json shares;
    for (int st = 0; st < kStages; st++) shares[stage_name(st)] = it.tail_share[st];
    o["tail_share"] = shares;
    Json ev;
    for (const auto& [k, val] : it.evidence) ev[k] = val;
    o["evidence"] = ev;
    o["text"] = it.text;
    items.push_back(std::move(o));
  }
  j["items"] = std::move(items);
  return j;
}

}  // namespace pollscope
