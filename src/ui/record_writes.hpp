// How a screen stores what the person did: through the repository, then asking for it to be made durable.
#pragma once

#include <exception>
#include <string>

#include "ui/app.hpp"

namespace steward::ui {

// Stores a record through `save` and asks for it to be made durable. A failure is shown, never swallowed.
template <class Save>
bool write_record(AppState& app, Save save) {
  try {
    save();
    app.host.persist();
    app.write_error.clear();
    return true;
  } catch (const std::exception& e) {
    app.write_error = std::string(tr(S::WriteFailed)) + ": " + e.what();
    return false;
  }
}

}  // namespace steward::ui
