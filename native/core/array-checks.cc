#include "core/array-checks.h"

#include <cmath>
#include <sstream>

#include "core/errors.h"

namespace voltlab {
std::string shapeText(const std::vector<int64_t>& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

void checkArray(const std::string& name, const FloatArray& array,
                const std::vector<std::string>& dims, const std::vector<int64_t>& expected,
                const std::vector<std::string>& expectedFrom) {
  if (array.shape.size() != dims.size()) {
    std::string layout;
    for (size_t i = 0; i < dims.size(); ++i) layout += (i ? ", " : "") + dims[i];
    throw InvalidArgument(name + " must have " + std::to_string(dims.size()) +
                          " dimensions [" + layout + "], got shape " + shapeText(array.shape));
  }
  int64_t count = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t size = array.shape[i];
    if (size < 1) {
      throw InvalidArgument(name + ".shape[" + std::to_string(i) + "] (" + dims[i] +
                            ") must be at least 1, got " + std::to_string(size));
    }
    if (expected[i] >= 0 && size != expected[i]) {
      throw InvalidArgument(name + ".shape[" + std::to_string(i) + "] (" + dims[i] + ") is " +
                            std::to_string(size) + " but " + expectedFrom[i] + " is " +
                            std::to_string(expected[i]));
    }
    count *= size;
  }
  if (static_cast<int64_t>(array.data.size()) != count) {
    throw InvalidArgument(name + ".data has " + std::to_string(array.data.size()) +
                          " values but shape " + shapeText(array.shape) + " needs " +
                          std::to_string(count));
  }
}

void checkFinite(const std::string& name, const FloatArray& array) {
  for (size_t i = 0; i < array.data.size(); ++i) {
    if (std::isfinite(array.data[i])) continue;
    // Turn the flat index back into [i0, i1, ...].
    std::vector<int64_t> index(array.shape.size());
    size_t rest = i;
    for (size_t d = array.shape.size(); d-- > 0;) {
      index[d] = static_cast<int64_t>(rest % array.shape[d]);
      rest /= array.shape[d];
    }
    throw InvalidArgument(name + " contains " + (std::isnan(array.data[i]) ? "NaN" : "infinity") +
                          " at index " + shapeText(index) +
                          " (inputs and targets must be finite numbers)");
  }
}

}  // namespace voltlab
