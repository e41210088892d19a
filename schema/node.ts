// Node-only helpers of the dialect (the XSD file, xmllint); everything else in schema/ runs in a browser too.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the dialect's XML Schema. */
export const XSD_PATH = fileURLToPath(new URL('./switchboard.xsd', import.meta.url));

export interface XmllintResult {
  ok: boolean;
  output: string;
}

/**
 * Validates with `xmllint --noout --schema schema/switchboard.xsd`. `source` is a file path, or XML text
 * when it starts with `<` (after optional whitespace), which is passed on stdin.
 */
export function xmllintValidate(source: string): Promise<XmllintResult> {
  const isText = source.trimStart().startsWith('<');
  return new Promise((done, fail) => {
    const child = execFile(
      'xmllint',
      ['--noout', '--nonet', '--schema', XSD_PATH, isText ? '-' : source],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') fail(err);
        else done({ ok: !err, output: `${stdout}${stderr}` });
      },
    );
    if (isText) child.stdin?.end(source);
    else child.stdin?.end();
  });
}
