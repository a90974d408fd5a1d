import type { DiscoverSignInInput, SignInOptionsDto } from "@devflow/contracts";
import { api } from "./api";

/** Email-first sign-in: how an address signs in (its organization's SSO, a link, GitHub). */
const signInApi = api.injectEndpoints({
  endpoints: (build) => ({
    discoverSignIn: build.mutation<SignInOptionsDto, DiscoverSignInInput>({
      query: (body) => ({ url: "/session/discover", method: "POST", body }),
    }),
  }),
});

export const { useDiscoverSignInMutation } = signInApi;
