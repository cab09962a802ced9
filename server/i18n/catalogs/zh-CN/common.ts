import type { CatalogOf } from "../types.js";
import type { common as en } from "../en/common.js";

export const common = {
  appName: "VoltLab",
  language: { label: "语言", "zh-CN": "中文", en: "English" },
  nav: {
    dashboard: "总览",
    batteryLab: "电池实验室",
    batteryAnalysis: "数据与分析",
    batteryUploads: "上传数据",
    batteryTrain: "训练模型",
    batteryTasks: "训练任务",
    batteryModels: "模型库",
    batteryTests: "测试模型",
    batteryEarlyLife: "早期寿命预测",
    energyLab: "能源实验室",
    energyAssets: "资产",
    energyUpload: "上传序列",
    energyModels: "模型",
    energyForecast: "预测",
    energyAnomaly: "异常检测",
    energyLive: "实时异常",
    account: "账户与 API 密钥",
    apiDocs: "API 参考 (/docs)",
  },
  header: { logout: "退出登录" },
  dashboard: {
    title: "总览",
    welcome: "欢迎，{{name}}",
    batteryText: "浏览 Severson 124 节电池数据集与您上传的数据，训练 RUL/PCL 模型，并在选定的电池上测试。",
    batteryOpen: "进入电池实验室",
    energyText: "按资产管理用能序列，带预测区间的负荷预测，以及基于预测残差的异常检测。",
    energyOpen: "进入能源实验室",
  },
  actions: {
    keep: "保留",
    copy: "复制",
    copied: "已复制",
  },
  job: { progress: "进度", waiting: "等待输出…", statusLine: "状态：{{status}}" },
  status: {
    PENDING: "排队中",
    RUNNING: "运行中",
    SUCCEEDED: "成功",
    PARTLY_SUCCEEDED: "部分成功",
    FAILED: "失败",
    CANCELED: "已取消",
  },
  notFound: {
    title: "未找到{{what}}",
    text: "您的账户在此地址下没有内容：它可能已被删除、链接有误，或属于其他用户。",
    home: "首页",
    page: "页面",
    goHome: "返回首页",
    pageTitle: "页面不存在",
  },
  error: {
    title: "出错了",
    unknown: "未知错误",
    correctFields: "请更正标出的字段",
  },
  quota: {
    jobs: "您的作业：{{used}} / {{limit}} 个排队或运行中；本次新增 {{adds}} 个。",
    uploads:
      "您的上传：{{used}} / {{limit}} 个；存储 {{storageUsed}} / {{storageLimit}} MB（含上传、已存模型、导出与结果）。",
  },
} as const satisfies CatalogOf<typeof en>;
