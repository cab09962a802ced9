// Shape and value checks for caller-supplied arrays (torch-free).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/float-array.h"

namespace voltlab {

// `name` is how the caller knows the array ("xTrain"); `dims` names each
// dimension ("n", "window", "inputDim"); `expected[i]` < 0 means any size >= 1.
// Throws InvalidArgument, e.g. "xTrain.shape[1] (window) is 5 but model.window is 10".
void checkArray(const std::string& name, const FloatArray& array,
                const std::vector<std::string>& dims, const std::vector<int64_t>& expected,
                const std::vector<std::string>& expectedFrom);

// "[2, 3, 4]": a shape (or an index) as error messages print it.
std::string shapeText(const std::vector<int64_t>& shape);

// Throws InvalidArgument naming the first NaN/inf and its index.
void checkFinite(const std::string& name, const FloatArray& array);

}  // namespace voltlab
