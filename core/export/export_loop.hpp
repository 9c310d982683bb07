// The exporter's tracing loop: reads the maps every interval into the
// collectable, and under a duty cycle detaches the probes for the rest of
// each period, reading the maps once more at each pause so the traced part
// is complete. Runs until a stop is requested (SIGTERM, SIGINT).
#pragma once
#include "core/export/duty_cycle.hpp"
#include "core/export/export_collectable.hpp"

namespace pollscope {

class Tracer;

void run_export_loop(Tracer& tracer, ExportCollectable& metrics, const DutyCycle& duty, double interval_s);

}  // namespace pollscope
