/*
 * demo: `chlink --demo`. Starts the simulated clouds in-process on ephemeral
 * loopback ports, in a throw-away directory, and points a flow configuration
 * at them with the simulator's own keys, so a first-time user can walk the
 * whole setup with no account and nothing touches the real config or state.
 */
#ifndef CHLINK_DEMO_H
#define CHLINK_DEMO_H

#include "err.h"
#include "flow.h"

struct demo;

/*
 * Start the simulator and fill `cfg` (URLs, CA, DNS server, connect-to
 * mappings, state directory, credentials, demo flag). When the environment
 * names a file in CHLINK_DEMO_INFO, the simulator's ready line is written
 * there (tests and benchmarks use it to reach the control API). When
 * CHLINK_DEMO_STATE names a file, the simulated world is kept there (and the
 * demo profile in FILE.profiles/) so a later demo resumes the same world.
 */
struct demo *demo_start(struct flow_config *cfg, struct err *e);

/* Plausible answers for the default world (westus3, rg-app, vnet-app, snet-pe). */
void demo_prefill(struct flow_answers *a);

/* Stop the simulator and remove the throw-away directory. */
void demo_stop(struct demo *d);

#endif
