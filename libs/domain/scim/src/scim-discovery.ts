import {
  SCIM_LIST_COUNT_MAX,
  SCIM_SCHEMA_GROUP,
  SCIM_SCHEMA_LIST_RESPONSE,
  SCIM_SCHEMA_USER,
} from "@devflow/contracts";

/*
 * The discovery documents of RFC 7644 §4: what this server supports, so an IdP (or a person reading
 * them) knows not to try bulk, sorting or complex filters. They describe the code in this lib;
 * change them together.
 */

/** RFC 7643 §5. */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    documentationUri: `${baseUrl.replace(/\/scim\/v2\/?$/, "")}/`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_LIST_COUNT_MAX },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description:
          "A SCIM token created in DevFlow under Settings → Provisioning, sent as Authorization: Bearer <token>.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** RFC 7643 §6, as a ListResponse. */
export function resourceTypes(baseUrl: string) {
  const types = [
    {
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "A member of the organization",
      schema: SCIM_SCHEMA_USER,
    },
    { id: "Group", name: "Group", endpoint: "/Groups", description: "A group of members", schema: SCIM_SCHEMA_GROUP },
  ].map((type) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    ...type,
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${type.id}` },
  }));
  return asList(types);
}

type Attribute = {
  name: string;
  type: "string" | "boolean" | "complex" | "reference";
  multiValued?: boolean;
  required?: boolean;
  mutability?: "readOnly" | "readWrite" | "immutable";
  uniqueness?: "none" | "server";
  caseExact?: boolean;
  subAttributes?: Attribute[];
};

interface AttributeDefinition extends Omit<Attribute, "subAttributes"> {
  returned: "default";
  subAttributes?: AttributeDefinition[];
}

function attribute({
  multiValued = false,
  required = false,
  mutability = "readWrite",
  uniqueness = "none",
  caseExact = false,
  subAttributes,
  ...rest
}: Attribute): AttributeDefinition {
  return {
    ...rest,
    multiValued,
    required,
    mutability,
    returned: "default",
    uniqueness,
    caseExact,
    ...(subAttributes && { subAttributes: subAttributes.map(attribute) }),
  };
}

const memberRef: Attribute[] = [
  { name: "value", type: "string", mutability: "immutable" },
  { name: "display", type: "string", mutability: "readOnly" },
  { name: "$ref", type: "reference", mutability: "readOnly" },
];

/** RFC 7643 §7: the attributes DevFlow keeps; anything else an IdP sends is accepted and ignored. */
export function schemas(baseUrl: string) {
  const user = {
    id: SCIM_SCHEMA_USER,
    name: "User",
    description: "A member of the organization. userName is the person's email address.",
    attributes: [
      { name: "userName", type: "string", required: true, uniqueness: "server" },
      {
        name: "name",
        type: "complex",
        subAttributes: [
          { name: "formatted", type: "string" },
          { name: "givenName", type: "string" },
          { name: "familyName", type: "string" },
        ],
      },
      { name: "displayName", type: "string" },
      {
        name: "emails",
        type: "complex",
        multiValued: true,
        subAttributes: [
          { name: "value", type: "string" },
          { name: "type", type: "string" },
          { name: "primary", type: "boolean" },
        ],
      },
      { name: "active", type: "boolean" },
      { name: "externalId", type: "string", caseExact: true },
      { name: "groups", type: "complex", multiValued: true, mutability: "readOnly", subAttributes: memberRef },
    ] satisfies Attribute[],
  };
  const group = {
    id: SCIM_SCHEMA_GROUP,
    name: "Group",
    description: "A group of members, used to share private projects.",
    attributes: [
      { name: "displayName", type: "string", required: true, uniqueness: "server" },
      { name: "externalId", type: "string", caseExact: true },
      { name: "members", type: "complex", multiValued: true, subAttributes: memberRef },
    ] satisfies Attribute[],
  };
  return asList(
    [user, group].map((schema) => ({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
      ...schema,
      attributes: schema.attributes.map(attribute),
      meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
    })),
  );
}

function asList<T>(resources: T[]) {
  return {
    schemas: [SCIM_SCHEMA_LIST_RESPONSE],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
