#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "app/commands.h"
#include "app/config.h"

namespace vigie::app {

int run_cli(int argc, char** argv) {
  CLI::App cli{"Vigie — observatoire de l'intelligence artificielle dans les collectivités territoriales"};
  cli.require_subcommand(1);
  std::string config_file = "vigie.toml";
  std::string data_dir;
  std::string listen;
  cli.add_option("--config", config_file, "Fichier de configuration TOML (par défaut : vigie.toml s'il existe)");
  cli.add_option("--data-dir", data_dir, "Dossier des données (base et index) ; prime sur VIGIE_DATA_DIR");
  auto* setup = cli.add_subcommand("setup", "Crée ou met à jour la base et charge le référentiel territorial");
  auto* demo = cli.add_subcommand("demo", "Charge les fiches de démonstration (fictives)");
  auto* serve = cli.add_subcommand("serve", "Sert le site et l'API JSON");
  auto* index = cli.add_subcommand("index", "Reconstruit l'index de recherche depuis la base");
  serve->add_option("--listen", listen, "Adresse d'écoute hôte:port ; prime sur VIGIE_LISTEN");
  std::string backup_destination;
  auto* backup = cli.add_subcommand("backup", "Sauvegarde la base, même pendant que le site est servi (l'index se reconstruit)");
  backup->add_option("destination", backup_destination, "Fichier à créer, ou dossier où créer vigie-AAAAMMJJTHHMMSSZ.db")->required();
  std::string restore_source;
  auto* restore = cli.add_subcommand("restore", "Remplace la base par une sauvegarde (site arrêté)");
  restore->add_option("source", restore_source, "Fichier de sauvegarde créé par vigie backup")->required();
  std::string copy_from;
  std::string copy_to;
  auto* copy = cli.add_subcommand("copy-store", "Copie toute l'instance d'une base vers une base neuve (SQLite ⇄ PostgreSQL), puis la vérifie");
  copy->add_option("--from", copy_from, "Base source : postgresql://… ou sqlite:chemin (par défaut : la base configurée)");
  copy->add_option("--to", copy_to, "Base cible, vide : postgresql://… ou sqlite:chemin")->required();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  // argv[0] is a bare name when the binary is found through PATH (an installed `vigie`): the
  // kernel's link to the running executable locates its resources then.
  std::error_code no_proc;
  auto executable = std::filesystem::read_symlink("/proc/self/exe", no_proc);
  if (no_proc) executable = argv[0];
  auto config = load_config(config_file, executable);
  if (!config.ok()) {
    spdlog::error("configuration : {}", config.error().message);
    return 2;
  }
  if (!data_dir.empty()) config->data_dir = data_dir;
  if (!listen.empty()) config->listen = listen;
  if (setup->parsed()) return command_setup(*config);
  if (demo->parsed()) return command_demo(*config);
  if (serve->parsed()) return command_serve(*config);
  if (index->parsed()) return command_index(*config);
  if (backup->parsed()) return command_backup(*config, backup_destination);
  if (restore->parsed()) return command_restore(*config, restore_source);
  if (copy->parsed()) return command_copy_store(*config, copy_from, copy_to);
  return 2;
}

}  // namespace vigie::app
