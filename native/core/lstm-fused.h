// LSTM directions without autograd (CPU, float32): the forward pass and the
// hand-written backward pass through time of one direction of one layer, in
// PyTorch's parameterisation (gates i, f, g, o; weight_ih [4H, in],
// weight_hh [4H, H], bias_ih and bias_hh [4H]).
//
// Sequences are time-major ([T, B, width], row stride given). The input-to-gate
// products of all covered time steps are one matrix product, the recurrent
// products one per step, the gate non-linearities one loop per step; in the
// backward pass the weight gradients are one product each over all steps. A
// direction may cover only the first `count` steps of its processing order
// (the reverse direction of a bidirectional LSTM whose last output alone is
// read needs one step). The tests hold these against LibTorch's autograd.
#pragma once

#include <cstdint>
#include <vector>

namespace voltlab::lstm {

// One direction's parameters and (for the backward pass) their gradients,
// which the backward pass adds to.
struct Params {
  const float* wih = nullptr;  // [4H, inputs]
  const float* whh = nullptr;  // [4H, H]
  const float* bih = nullptr;  // [4H]
  const float* bhh = nullptr;  // [4H]
  float* gWih = nullptr;
  float* gWhh = nullptr;
  float* gBih = nullptr;
  float* gBhh = nullptr;
};

struct Shape {
  int64_t steps = 0;   // T
  int64_t batch = 0;   // B
  int64_t inputs = 0;  // width of an input row
  int64_t hidden = 0;  // H
  bool reverse = false;
  int64_t count = 0;   // steps covered: positions [0, count) forward, [T - count, T) reverse
  int64_t first() const { return reverse ? steps - count : 0; }
  int64_t last() const { return reverse ? steps - count : count - 1; }  // final state's position
};

// What the forward pass keeps for the backward pass: activated gates, cell
// states and their tanh for the covered positions (indexed by position).
struct Tape {
  std::vector<float> gates, cells, tanhCells;
};

// in: [T, B, inputs] (row stride ldIn); out: h for each covered position,
// [T, B, .] with row stride ldOut (a column offset is the caller's pointer).
// h0, c0: initial state [B, H], null = zero.
void forward(const Params& p, const Shape& s, const float* in, int64_t ldIn, float* out,
             int64_t ldOut, const float* h0, const float* c0, Tape* tape);

// The final cell state (position s.last()) after forward(): [B, H].
const float* finalCell(const Shape& s, const Tape& tape);

// dOut: gradient of the objective with respect to out (same layout, null =
// zero); dhLast, dcLast: with respect to the final h and c (null = zero).
// Adds to the parameter gradients; writes (overwriteDIn) or adds to dIn when
// set ([T, B, inputs], row stride ldIn; covered positions only); writes dh0
// and dc0 ([B, H]) when set. Overwrites the tape's gates with their gradients.
void backward(const Params& p, const Shape& s, const float* in, int64_t ldIn, const float* out,
              int64_t ldOut, const float* dOut, int64_t ldDOut, const float* h0,
              const float* c0, const float* dhLast, const float* dcLast, float* dIn,
              bool overwriteDIn, float* dh0, float* dc0, Tape* tape);

}  // namespace voltlab::lstm
