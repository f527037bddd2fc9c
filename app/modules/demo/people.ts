import type { Rng } from "./prng";

// Plausible buyers: common Chinese surnames and given names, mobiles from one made-up block
// (139 0000 xxxx is not handed out to real subscribers in any demo we know of; nothing is sent
// to them: demo orders notify through the configured transport, which is the log by default),
// and addresses in the county of the buyer's first shop.

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "林",
  "高",
  "罗",
  "郑",
  "梁",
  "谢",
  "宋",
  "唐",
  "许",
  "韩",
  "冯",
  "邓",
  "曹",
  "彭",
  "曾",
  "沈",
  "顾",
  "陆",
  "钱",
  "蒋",
  "蔡",
  "丁",
  "范",
];
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀英",
  "霞",
  "平",
  "刚",
  "桂英",
  "建华",
  "文",
  "晓燕",
  "志强",
  "海燕",
  "子涵",
  "欣怡",
  "浩然",
  "雨轩",
  "梓萱",
  "一诺",
  "宇航",
  "思远",
  "佳怡",
  "俊杰",
  "婷",
  "雪",
  "慧",
];
const ROADS = [
  "人民路",
  "解放路",
  "中山路",
  "建设路",
  "学府路",
  "长江路",
  "太湖大道",
  "新华路",
  "文化路",
  "青年路",
  "和平路",
  "花园路",
];
const ESTATES = [
  "阳光花园",
  "锦绣华庭",
  "滨湖新村",
  "翠竹苑",
  "金色家园",
  "春江花园",
  "东方明珠苑",
  "梅园新村",
  "紫薇小区",
  "运河人家",
];
const NOTES = ["请放门卫", "工作日白天不在家，请放快递柜", "易碎，请轻放", "到了请打电话", "", "", "", ""];

export interface Buyer {
  name: string;
  phone: string;
}

export function buyer(rng: Rng): Buyer {
  return {
    name: rng.pick(SURNAMES) + rng.pick(GIVEN),
    phone: `1390000${String(rng.int(0, 9999)).padStart(4, "0")}`,
  };
}

export function homeAddress(
  rng: Rng,
  county: { provinceZh: string; cityZh: string; nameZh: string },
): { region: string; line: string } {
  const line = rng.chance(0.7)
    ? `${rng.pick(ESTATES)} ${rng.int(1, 32)} 幢 ${rng.int(1, 3)} 单元 ${rng.int(1, 28)}0${rng.int(1, 4)}`
    : `${rng.pick(ROADS)} ${rng.int(1, 888)} 号`;
  return { region: `${county.provinceZh}${county.cityZh}${county.nameZh}`, line };
}

export function deliveryNote(rng: Rng): string | null {
  return rng.pick(NOTES) || null;
}
