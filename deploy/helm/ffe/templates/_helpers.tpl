{{- define "ffe.labels" -}}
app.kubernetes.io/name: ffe
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ffe.selector" -}}
app.kubernetes.io/name: ffe
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ffe.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{ .Values.secrets.existingSecret }}
{{- else -}}
{{ .Release.Name }}-ffe
{{- end -}}
{{- end -}}
