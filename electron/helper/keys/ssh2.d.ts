/** The part of ssh2 the helper uses (the package ships no types): its OpenSSH key generator. */
declare module 'ssh2' {
  interface GenerateKeyPairOptions {
    /** RSA: the modulus size; ECDSA: 256, 384 or 521. */
    bits?: number;
    comment?: string;
    /** With a passphrase, the private key is encrypted (bcrypt-pbkdf): cipher is then required. */
    passphrase?: string | Buffer;
    cipher?: string;
    /** bcrypt-pbkdf rounds. */
    rounds?: number;
  }
  interface GeneratedKeyPair {
    /** `-----BEGIN OPENSSH PRIVATE KEY-----` ... */
    private: string;
    /** `type base64 comment`, without a line end. */
    public: string;
  }
  const ssh2: {
    utils: {
      generateKeyPair(type: 'ed25519' | 'ecdsa' | 'rsa', options: GenerateKeyPairOptions, callback: (error: Error | null, keys: GeneratedKeyPair) => void): void;
    };
  };
  export default ssh2;
}
