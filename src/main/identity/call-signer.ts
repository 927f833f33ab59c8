import type { SignatureInput } from '../../shared/contract/common';
import type { SignatureMeaning } from '../../shared/domain/roles';
import type { CallContext } from '../dispatcher/dispatcher';
import { sessionOf } from '../dispatcher/handler-kit';
import type { IdentityService } from './accounts';
import { expectMeaning, type Signer } from './model';

/**
 * The signer of a call, re-authenticated at the moment of signing (every signing, 11.200),
 * with the meaning the channel signs: another one is refused before the password is checked.
 */
export async function callSigner(
  identity: Pick<IdentityService, 'authenticateSigner'>,
  ctx: CallContext,
  signature: SignatureInput,
  meaning: SignatureMeaning,
): Promise<Signer> {
  const s = sessionOf(ctx);
  expectMeaning(signature.meaning, meaning);
  return identity.authenticateSigner(s.userId, signature.password);
}
