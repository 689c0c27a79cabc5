// The subcommands of `vigie`. Each returns the process exit code and reports in French on
// stderr/stdout for people.
#pragma once

#include "app/config.h"

namespace vigie::app {

int command_setup(const Config& config);
int command_demo(const Config& config);
int command_serve(const Config& config);
int command_index(const Config& config);

}  // namespace vigie::app
