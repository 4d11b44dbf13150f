export {
  CONSENSUS_STATUS_ORDER,
  formatFigure,
  formatPValue,
  formatRoundDate,
  formatShare,
  itemTitle,
} from "~/server/delphi/format";
