#include "app/cli.h"

int main(int argc, char** argv) { return vigie::app::run_cli(argc, argv); }
