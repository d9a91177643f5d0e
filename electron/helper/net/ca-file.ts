/**
 * Reads a file of extra certificate authorities and keeps only its certificates. Each one is
 * parsed, so a wrong file (a private key, a binary .crt, a note) is refused with a reason when it
 * is chosen, instead of surfacing later as an obscure handshake failure.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export type CaFileProblemReason = 'unreadable' | 'not-pem' | 'damaged';

export class CaFileProblem extends Error {
  constructor(
    readonly reason: CaFileProblemReason,
    readonly file: string,
    /** What is wrong, to follow the file's name: "does not exist". Callers say which file it was. */
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`The CA file ${file} ${what}.`, options);
    this.name = 'CaFileProblem';
  }
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** What to do about a problem, for the hint next to the message. */
export function caFileHint(problem: CaFileProblem): string {
  if (problem.reason === 'unreadable') return 'Check the path, and that this account may read the file.';
  return "Choose the certificate authority's certificate in PEM form (a text file starting with -----BEGIN CERTIFICATE-----). A binary .crt or .cer file converts with: openssl x509 -inform der -in FILE.crt -out FILE.pem";
}

/** The file's certificates, as PEM text. Throws CaFileProblem. */
export async function readCaFile(file: string): Promise<string> {
  let contents: string;
  try {
    contents = await readFile(file, 'latin1');
  } catch (error) {
    const why = (error as { code?: string }).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new CaFileProblem('unreadable', file, why, { cause: error });
  }
  const certificates = contents.match(pemCertificate) ?? [];
  if (certificates.length === 0) throw new CaFileProblem('not-pem', file, 'is not a PEM certificate file (it contains no certificate)');
  for (const [index, pem] of certificates.entries()) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new CaFileProblem('damaged', file, `contains a damaged certificate (number ${index + 1})`, { cause: error });
    }
  }
  return `${certificates.join('\n')}\n`;
}
