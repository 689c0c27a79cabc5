// The `vigie` command line: subcommands serve, setup, demo, index.
#pragma once

namespace vigie::app {

// Parses the command line, runs the subcommand and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace vigie::app
