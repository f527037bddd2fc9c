import QRCode from "qrcode";

/**
 * The QR code of a URL as an SVG document. Level M survives a scuffed or slightly
 * wet label (15 % of the code may be lost); a one-module margin keeps labels small,
 * the label's own white padding completes the quiet zone.
 */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
}
