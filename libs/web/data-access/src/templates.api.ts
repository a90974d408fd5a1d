import type { CreateTemplateInput, TemplateDto } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

/** Document templates: the built-in ones and those the organization saved. */
const templatesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listTemplates: build.query<{ items: TemplateDto[] }, OrganizationScoped>({
      query: ({ organizationId }) => ({ url: "/templates", organizationId }),
      providesTags: [{ type: "Template", id: "LIST" }],
    }),
    createTemplate: build.mutation<
      TemplateDto,
      OrganizationScoped & { input: Partial<CreateTemplateInput> & { name: string } }
    >({
      query: ({ organizationId, input }) => ({ url: "/templates", method: "POST", body: input, organizationId }),
      invalidatesTags: [{ type: "Template", id: "LIST" }],
    }),
    deleteTemplate: build.mutation<void, OrganizationScoped & { templateId: string }>({
      query: ({ organizationId, templateId }) => ({
        url: `/templates/${encodeURIComponent(templateId)}`,
        method: "DELETE",
        organizationId,
      }),
      invalidatesTags: [{ type: "Template", id: "LIST" }],
    }),
  }),
});

export const { useListTemplatesQuery, useCreateTemplateMutation, useDeleteTemplateMutation } = templatesApi;
