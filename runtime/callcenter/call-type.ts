// The manual's callType of a call log (section 21), from the two numbers.

export type CallType = 'CENTREX_CALL' | 'LOCAL_CALL' | 'NATIONAL_CALL' | 'OVERSEAS_CALL' | 'UNKNOW_CALL';

/**
 * CENTREX_CALL between two extensions; otherwise by the outside number's prefix as dialled in China: `00` or `+`
 * international, `0` long distance (area codes start with 0), anything else local. Not a number: UNKNOW_CALL (sic).
 */
export function callTypeOf(caller: string, callee: string, isExtension: (n: string) => boolean): CallType {
  if (isExtension(caller) && isExtension(callee)) return 'CENTREX_CALL';
  const outside = isExtension(caller) ? callee : caller;
  if (!/^\+?[0-9]+$/.test(outside)) return 'UNKNOW_CALL';
  if (outside.startsWith('+') || outside.startsWith('00')) return 'OVERSEAS_CALL';
  if (outside.startsWith('0')) return 'NATIONAL_CALL';
  return 'LOCAL_CALL';
}
