// gitopsd: the command line. One subcommand per capability; each appears when
// it works. Unknown commands and bad flags print usage and exit 2.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "daemon/version.h"

int main(int argc, char** argv) {
  CLI::App app{"gitopsd: keeps Kubernetes clusters equal to their env Git repositories"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "gitopsd " << gitopsd::kVersion << "\n"; });

  auto* help = app.add_subcommand("help", "Show help (for a subcommand: help CMD)");
  std::string help_topic;
  help->add_option("command", help_topic, "Subcommand to explain");
  help->callback([&] {
    if (help_topic.empty()) {
      std::cout << app.help();
      return;
    }
    for (auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == help_topic) {
        std::cout << sub->help();
        return;
      }
    }
    std::cerr << "gitopsd: unknown command \"" << help_topic << "\"\n" << app.help();
    std::exit(2);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return 0;
}
