// How gitopsd subcommands plug into the command line.
//
// Each subcommand lives in its own cmd_<name>.cc in this folder and registers
// itself with GITOPSD_COMMAND; main.cc builds the CLI from the registry, so
// adding a command never edits main.cc. A command's callback reports its exit
// status by returning normally (0) or throwing CommandExit{code}.
#pragma once

#include <CLI/CLI.hpp>

namespace gitopsd::cli {

// Thrown from a command callback to end the process with `code` (after
// stdout is flushed). Message, if any, goes to stderr first.
struct CommandExit {
  int code;
};

using Registrar = void (*)(CLI::App& app);

// Registers a subcommand; `order` sorts the help listing. Returns true so it
// can initialise a static.
bool RegisterCommand(int order, Registrar registrar);

}  // namespace gitopsd::cli

#define GITOPSD_COMMAND(order, fn) \
  static const bool GITOPSD_CONCAT_CMD(_gitopsd_cmd_, __LINE__) = ::gitopsd::cli::RegisterCommand(order, fn)
#define GITOPSD_CONCAT_CMD_INNER(a, b) a##b
#define GITOPSD_CONCAT_CMD(a, b) GITOPSD_CONCAT_CMD_INNER(a, b)
