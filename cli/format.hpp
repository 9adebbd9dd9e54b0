// Renders a command's JSON result as json, markdown (for forum posts) or csv.
#pragma once

#include <string>

#include "backstop/api.hpp"

namespace backstop::cli {

std::string render(const std::string& command, const std::string& format, const Json& input,
                   const Json& result);

}  // namespace backstop::cli
