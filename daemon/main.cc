// gitopsd: the command line. One subcommand per capability, each in its own
// cmd_<name>.cc (see command.h). Unknown commands and bad flags print usage
// and exit 2.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

#include "daemon/command.h"
#include "daemon/version.h"

namespace gitopsd::cli {
namespace {

// The top-level usage (CLI::App::help() would describe the selected subcommand).
std::string TopHelp(CLI::App& app) {
  return app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
}

std::vector<std::pair<int, Registrar>>& Registry() {
  static std::vector<std::pair<int, Registrar>> registry;
  return registry;
}

void RegisterVersion(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the version");
  cmd->callback([] { std::cout << "gitopsd " << kVersion << "\n"; });
}

void RegisterHelp(CLI::App& app) {
  auto* cmd = app.add_subcommand("help", "Show help (for one subcommand: help CMD)");
  auto topic = std::make_shared<std::string>();
  cmd->add_option("command", *topic, "Subcommand to explain");
  cmd->callback([&app, topic] {
    if (topic->empty()) {
      std::cout << TopHelp(app);
      return;
    }
    for (auto* sub : app.get_subcommands({})) {
      if (sub->get_name() == *topic) {
        std::cout << sub->help();
        return;
      }
    }
    std::cerr << "gitopsd: unknown command \"" << *topic << "\"\n\n" << TopHelp(app);
    throw CommandExit{2};
  });
}

GITOPSD_COMMAND(0, RegisterVersion);
GITOPSD_COMMAND(1, RegisterHelp);

}  // namespace

bool RegisterCommand(int order, Registrar registrar) {
  Registry().emplace_back(order, registrar);
  return true;
}

}  // namespace gitopsd::cli

int main(int argc, char** argv) {
  using namespace gitopsd::cli;
  CLI::App app{"gitopsd: keeps Kubernetes clusters equal to their env Git repositories", "gitopsd"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("gitopsd ") + gitopsd::kVersion);
  auto registry = Registry();
  std::stable_sort(registry.begin(), registry.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [order, registrar] : registry) registrar(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::cerr << "gitopsd: unknown command \"" << argv[1] << "\"\n\n" << TopHelp(app);
    } else {
      app.exit(e);
    }
    return 2;
  } catch (const CommandExit& e) {
    std::cout.flush();
    return e.code;
  }
  return 0;
}
