#include "app/cli.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace vigie::app {

int run_cli(int argc, char** argv) {
  CLI::App cli{"Vigie — observatoire de l'IA dans les collectivités territoriales"};
  cli.require_subcommand(1);
  auto* serve = cli.add_subcommand("serve", "Serve the web site and the JSON API");
  serve->callback([] { std::cout << "serve\n"; });
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  return 0;
}

}  // namespace vigie::app
