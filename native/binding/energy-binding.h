// Energy forecasters: trainEnergyNet / predictEnergyNet (LSTM, TiDE, TFT) and
// trainEnergyGbdt / predictEnergyGbdt / gbdtLagIndex (XGBoost). See native/energy.ts.
#pragma once

#include <napi.h>

namespace voltlab::js {

void RegisterEnergy(Napi::Env env, Napi::Object exports);

}  // namespace voltlab::js
