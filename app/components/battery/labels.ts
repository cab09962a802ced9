import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { battery } from "../../../server/i18n/catalogs/en/battery";

type VariableKey = Exclude<keyof typeof battery.variables, "trailingMean">;
type UnitKey = keyof typeof battery.units;
type PresetKey = keyof typeof battery.presets;

/** A stored feature's name for Wen's trailing mean (`ir_ohm_mean10`): its base, or null. */
const TRAILING = /^(.+)_mean(\d+)$/;

/**
 * Names of the battery variables in the active language: the built-in features, targets and
 * units by key (an uploaded column keeps its own name, given by the server as `fallback`).
 */
export function useBatteryLabels() {
  const { t, i18n } = useTranslation("battery");
  return useMemo(() => {
    const known = (key: string): key is VariableKey =>
      key !== "trailingMean" && i18n.exists(`battery:variables.${key}`);
    const variable = (key: string, fallback = key): string => {
      const m = TRAILING.exec(key);
      if (m && known(m[1]!)) return t("variables.trailingMean", { label: variable(m[1]!), window: Number(m[2]) });
      return known(key) ? t(`variables.${key}`) : fallback;
    };
    const unit = (u: string): string => (u in { cycles: 1, fraction: 1 } ? t(`units.${u as UnitKey}`) : u);
    const withUnit = (key: string, fallback: string, u: string | null | undefined): string =>
      u ? t("withUnit", { label: variable(key, fallback), unit: unit(u) }) : variable(key, fallback);
    const preset = (key: string, fallback: string): string =>
      i18n.exists(`battery:presets.${key}`) ? t(`presets.${key as PresetKey}`) : fallback;
    return { variable, unit, withUnit, preset };
  }, [t, i18n]);
}
